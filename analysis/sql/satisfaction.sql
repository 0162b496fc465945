-- Satisfaction against the 95% target (H-40, H-33): answered surveys rated satisfied (score 4-5, or solved when no score).
SELECT
  SUM(CASE WHEN survey_answered THEN 1 ELSE 0 END) AS answered,
  SUM(CASE WHEN survey_satisfied THEN 1 ELSE 0 END) AS satisfied,
  SUM(CASE WHEN survey_no_answer THEN 1 ELSE 0 END) AS no_answer,
  ROUND(CAST(SUM(CASE WHEN survey_satisfied THEN 1 ELSE 0 END) AS DOUBLE) / NULLIF(SUM(CASE WHEN survey_answered THEN 1 ELSE 0 END), 0), 4) AS satisfaction_rate,
  0.95 AS target_rate,
  CAST(SUM(CASE WHEN survey_satisfied THEN 1 ELSE 0 END) AS DOUBLE) >= 0.95 * SUM(CASE WHEN survey_answered THEN 1 ELSE 0 END)
    AND SUM(CASE WHEN survey_answered THEN 1 ELSE 0 END) > 0 AS meets_target
FROM complaints
