-- Monthly trends (H-36, §6.3): complaints received per month (policy time zone), satisfaction, first response, breaches, reopens.
WITH breached AS (
  SELECT DISTINCT id FROM complaint_clocks WHERE status = 'breached'
)
SELECT
  c.received_month AS month,
  COUNT(*) AS complaints,
  SUM(CASE WHEN c.archived_at IS NOT NULL THEN 1 ELSE 0 END) AS archived,
  ROUND(CAST(SUM(CASE WHEN c.survey_satisfied THEN 1 ELSE 0 END) AS DOUBLE) / NULLIF(SUM(CASE WHEN c.survey_answered THEN 1 ELSE 0 END), 0), 4) AS satisfaction_rate,
  ROUND(AVG(c.first_response_ms) / 60000.0, 2) AS first_response_minutes,
  SUM(CASE WHEN b.id IS NOT NULL THEN 1 ELSE 0 END) AS with_breach,
  SUM(CASE WHEN c.reopen_count > 0 THEN 1 ELSE 0 END) AS reopened
FROM complaints c
LEFT JOIN breached b ON b.id = c.id
GROUP BY c.received_month
ORDER BY month
