-- First response against 20 minutes (H-01, H-40): receipt to the H-01 clock met by the acknowledgement.
SELECT
  COUNT(first_response_ms) AS responded,
  ROUND(AVG(first_response_ms) / 60000.0, 2) AS average_minutes,
  SUM(CASE WHEN first_response_ms <= 1200000 THEN 1 ELSE 0 END) AS within_target,
  ROUND(CAST(SUM(CASE WHEN first_response_ms <= 1200000 THEN 1 ELSE 0 END) AS DOUBLE) / NULLIF(COUNT(first_response_ms), 0), 4) AS within_target_rate,
  20 AS target_minutes
FROM complaints
