-- Reopen rate (H-34): archived complaints that were reopened at least once, and reopens in all.
SELECT
  COUNT(*) AS archived,
  SUM(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END) AS reopened,
  SUM(reopen_count) AS reopens,
  ROUND(CAST(SUM(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END) AS DOUBLE) / NULLIF(COUNT(*), 0), 4) AS reopen_rate
FROM complaints
WHERE archived_at IS NOT NULL
