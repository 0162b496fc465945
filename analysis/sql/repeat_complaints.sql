-- Repeat complaints per customer (H-25): customers (by hashed key) with two or more complaints received in the year.
SELECT
  customer_key,
  COUNT(*) AS complaints,
  MIN(received_at) AS first_received_at,
  MAX(received_at) AS last_received_at,
  MAX(prior_complaints) AS most_prior_at_classification
FROM complaints
GROUP BY customer_key
HAVING COUNT(*) >= 2
ORDER BY complaints DESC, customer_key
