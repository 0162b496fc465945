-- Escalations per team and level (H-09 problems reported upward, H-34 reopens raise the level): escalations raised, acknowledged, and complaints escalated.
SELECT
  COALESCE(team, 'unassigned') AS team,
  level,
  COUNT(*) AS escalations,
  SUM(CASE WHEN acked THEN 1 ELSE 0 END) AS acknowledged,
  COUNT(DISTINCT id) AS complaints
FROM complaint_escalations
GROUP BY COALESCE(team, 'unassigned'), level
ORDER BY team, level
