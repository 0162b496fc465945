/**
 * H-12: the table of lunar and solar-term holidays (functions/domain/lunar-festivals.ts) is the
 * chinese-days package's lunar calendar and solar terms, year by year, for every year it holds.
 */
import { getLunarDate, getSolarTermDate, getYearLeapMonth, monthDays } from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { LUNAR_FESTIVAL_YEARS, LUNAR_FESTIVALS } from '../../functions/domain/lunar-festivals';

const DAY_MS = 86_400_000;
/** 正月初一 of lunar year 1900, the origin of the package's lunar table. */
const LUNAR_EPOCH_DAY = Date.UTC(1900, 0, 31) / DAY_MS;

const lunarYearDays = (year: number) => {
  let days = getYearLeapMonth(year).days;
  for (let month = 1; month <= 12; month++) days += monthDays(year, month);
  return days;
};

/** Day number (days since 1970-01-01) of a lunar date, from the package's month lengths. */
function lunarToDay(year: number, month: number, day: number): number {
  let offset = 0;
  for (let y = 1900; y < year; y++) offset += lunarYearDays(y);
  const { leapMonth, days: leapDays } = getYearLeapMonth(year);
  for (let m = 1; m < month; m++) offset += monthDays(year, m) + (m === leapMonth ? leapDays : 0);
  return LUNAR_EPOCH_DAY + offset + day - 1;
}

/** getSolarTermDate formats Date.UTC(y, m, d) with the host's local getters: read back the date it meant. */
function qingmingDay(year: number): number {
  const [y, m, d] = getSolarTermDate(year, 4, 'pure_brightness').split('-').map(Number) as [number, number, number];
  const printed = Date.UTC(y, m - 1, d) / DAY_MS;
  return new Date((printed + 1) * DAY_MS).getTimezoneOffset() > 0 ? printed + 1 : printed;
}

const monthDay = (day: number) => {
  const d = new Date(day * DAY_MS);
  return (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
};

describe('H-12 lunar and solar-term holidays', () => {
  it('H-12 the table holds 正月初一, 清明, 端午 and 中秋 of every year 1901-2099 as the package computes them', () => {
    const years = LUNAR_FESTIVAL_YEARS.to - LUNAR_FESTIVAL_YEARS.from + 1;
    expect(LUNAR_FESTIVALS).toHaveLength(years);
    for (let i = 0; i < years; i++) {
      const year = LUNAR_FESTIVAL_YEARS.from + i;
      const expected = [lunarToDay(year, 1, 1), qingmingDay(year), lunarToDay(year, 5, 5), lunarToDay(year, 8, 15)].map(monthDay);
      expect(LUNAR_FESTIVALS[i], `${year}: [${expected.join(', ')}]`).toEqual(expected);
    }
  });

  it('H-12 the package reads the 2027 dates back as the lunar dates they stand for', () => {
    const lunar = (year: number, md: number) => {
      const l = getLunarDate(new Date(Date.UTC(year, Math.floor(md / 100) - 1, md % 100, 12)));
      return `${l.lunarMon}/${l.lunarDay}`;
    };
    const [springFestival, , dragonBoat, midAutumn] = LUNAR_FESTIVALS[2027 - LUNAR_FESTIVAL_YEARS.from]!;
    expect([lunar(2027, springFestival), lunar(2027, dragonBoat), lunar(2027, midAutumn)]).toEqual(['1/1', '5/5', '8/15']);
  });
});
