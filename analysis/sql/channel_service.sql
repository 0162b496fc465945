-- Complaints per channel and service type (H-20, H-26).
SELECT
  channel,
  service_type,
  COUNT(*) AS complaints
FROM complaints
GROUP BY channel, service_type
ORDER BY channel, service_type
