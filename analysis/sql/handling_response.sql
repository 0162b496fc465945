-- Average handling response against 45 minutes (H-06 §2.2): receipt to the later of dispatched and acknowledged.
SELECT
  COUNT(handling_response_ms) AS handled,
  ROUND(AVG(handling_response_ms) / 60000.0, 2) AS average_minutes,
  SUM(CASE WHEN handling_response_ms <= 2700000 THEN 1 ELSE 0 END) AS within_target,
  45 AS target_minutes,
  AVG(handling_response_ms) <= 2700000 AS average_meets_target
FROM complaints
