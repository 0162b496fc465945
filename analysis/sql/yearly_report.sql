-- The yearly complaint analysis (H-36) in one row: volume, outcome, satisfaction, response times, deadlines, reopens, repeats, escalations.
WITH totals AS (
  SELECT
    COUNT(*) AS complaints,
    SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END) AS closed,
    SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed,
    SUM(CASE WHEN archived_at IS NULL THEN 1 ELSE 0 END) AS still_open,
    SUM(CASE WHEN survey_answered THEN 1 ELSE 0 END) AS answered,
    SUM(CASE WHEN survey_satisfied THEN 1 ELSE 0 END) AS satisfied,
    AVG(first_response_ms) AS first_response_ms,
    SUM(CASE WHEN first_response_ms <= 1200000 THEN 1 ELSE 0 END) AS first_within,
    COUNT(first_response_ms) AS first_count,
    AVG(handling_response_ms) AS handling_response_ms,
    SUM(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END) AS reopened,
    SUM(CASE WHEN archived_at IS NOT NULL THEN 1 ELSE 0 END) AS archived
  FROM complaints
),
clock_totals AS (
  SELECT
    SUM(CASE WHEN status = 'met' THEN 1 ELSE 0 END) AS met,
    SUM(CASE WHEN status = 'met-late' THEN 1 ELSE 0 END) AS met_late,
    SUM(CASE WHEN status = 'breached' THEN 1 ELSE 0 END) AS breached
  FROM complaint_clocks
),
repeaters AS (
  SELECT COUNT(*) AS customers FROM (SELECT customer_key FROM complaints GROUP BY customer_key HAVING COUNT(*) >= 2) r
),
escalated AS (
  SELECT COUNT(*) AS escalations, COUNT(DISTINCT id) AS complaints FROM complaint_escalations
)
SELECT
  t.complaints,
  t.closed,
  t.failed,
  t.still_open,
  ROUND(CAST(t.satisfied AS DOUBLE) / NULLIF(t.answered, 0), 4) AS satisfaction_rate,
  ROUND(t.first_response_ms / 60000.0, 2) AS first_response_minutes,
  ROUND(CAST(t.first_within AS DOUBLE) / NULLIF(t.first_count, 0), 4) AS first_response_within_target_rate,
  ROUND(t.handling_response_ms / 60000.0, 2) AS handling_response_minutes,
  ROUND(CAST(k.met AS DOUBLE) / NULLIF(k.met + k.met_late + k.breached, 0), 4) AS clock_compliance_rate,
  k.met_late AS clocks_met_late,
  k.breached AS clocks_breached,
  ROUND(CAST(t.reopened AS DOUBLE) / NULLIF(t.archived, 0), 4) AS reopen_rate,
  r.customers AS repeat_customers,
  e.escalations,
  e.complaints AS escalated_complaints
FROM totals t
CROSS JOIN clock_totals k
CROSS JOIN repeaters r
CROSS JOIN escalated e
