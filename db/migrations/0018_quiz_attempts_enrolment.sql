ALTER TABLE `quiz_attempts` ADD `enrolment_id` integer REFERENCES enrolments(id);--> statement-breakpoint
CREATE INDEX `quiz_attempts_enrolment_idx` ON `quiz_attempts` (`enrolment_id`);--> statement-breakpoint
-- Backfill: each earlier attempt belongs to the learner's enrolment in that course that was made
-- before it started (the latest such), else to their earliest enrolment in the course.
UPDATE `quiz_attempts` SET `enrolment_id` = (
  SELECT e.id FROM enrolments e JOIN quizzes q ON q.course_id = e.course_id
  WHERE q.id = quiz_attempts.quiz_id AND e.user_id = quiz_attempts.user_id
  ORDER BY CASE WHEN e.enrolled_at <= quiz_attempts.started_at THEN 0 ELSE 1 END,
           CASE WHEN e.enrolled_at <= quiz_attempts.started_at THEN -e.enrolled_at ELSE e.enrolled_at END
  LIMIT 1
);
