-- Compliance per clock (the policy clocks, H-01..H-14): met on time over every clock with an outcome (met, met late, breached).
SELECT
  clock_id,
  COUNT(*) AS clocks,
  SUM(CASE WHEN status = 'met' THEN 1 ELSE 0 END) AS met,
  SUM(CASE WHEN status = 'met-late' THEN 1 ELSE 0 END) AS met_late,
  SUM(CASE WHEN status = 'breached' THEN 1 ELSE 0 END) AS breached,
  SUM(CASE WHEN status = 'running' THEN 1 ELSE 0 END) AS running,
  ROUND(CAST(SUM(CASE WHEN status = 'met' THEN 1 ELSE 0 END) AS DOUBLE) / NULLIF(SUM(CASE WHEN status <> 'running' THEN 1 ELSE 0 END), 0), 4) AS compliance_rate
FROM complaint_clocks
GROUP BY clock_id
ORDER BY clock_id
