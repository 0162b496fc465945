-- Met-late and breach counts per team, clock and severity (H-36: where deadlines slipped).
SELECT
  COALESCE(team, 'unassigned') AS team,
  clock_id,
  COALESCE(severity, 'unclassified') AS severity,
  SUM(CASE WHEN status = 'met-late' THEN 1 ELSE 0 END) AS met_late,
  SUM(CASE WHEN status = 'breached' THEN 1 ELSE 0 END) AS breached
FROM complaint_clocks
WHERE status IN ('met-late', 'breached')
GROUP BY COALESCE(team, 'unassigned'), clock_id, COALESCE(severity, 'unclassified')
ORDER BY team, clock_id, severity
