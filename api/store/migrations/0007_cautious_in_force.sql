-- A voorzichtig voorschot chosen as a percentage stays in force until the household stops it or
-- chooses another one (issue #6): it no longer ends at the next recalculation. Every recalculation
-- passes the choices in force to shared_rules.preview (`cautious`), which lowers the months from
-- `from_month` on.
ALTER TABLE income_cautious ADD COLUMN from_month INTEGER CHECK (from_month IS NULL OR from_month BETWEEN 1 AND 12);
ALTER TABLE income_cautious ADD COLUMN ended_at TEXT;

-- Choices made before: their first month is the effective month of the decision they made...
UPDATE income_cautious
   SET from_month = (SELECT d.effective_month FROM decisions d WHERE d.id = income_cautious.decision_id)
 WHERE mode = 'percentage';
-- ...and under the old rule a choice ended with the next decision of its toeslag: keep that history.
UPDATE income_cautious
   SET ended_at = (SELECT MIN(later.decided_at) FROM decisions d
                     JOIN decisions later ON later.household_id = d.household_id AND later.toeslag = d.toeslag
                                         AND later.year = d.year AND later.decided_at > d.decided_at
                    WHERE d.id = income_cautious.decision_id)
 WHERE mode = 'percentage';
