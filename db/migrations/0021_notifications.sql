CREATE TABLE `notification_settings` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`email_off` text DEFAULT '[]' NOT NULL,
	`digest_period` text DEFAULT 'weekly' NOT NULL,
	`last_digest_on` text,
	`calendar_token_hash` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_settings_calendar_uq` ON `notification_settings` (`calendar_token_hash`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`params` text NOT NULL,
	`link` text NOT NULL,
	`ref` text,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_unread_idx` ON `notifications` (`user_id`,`read_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_ref_uq` ON `notifications` (`user_id`,`ref`);--> statement-breakpoint
ALTER TABLE `webhook_outbox` ADD `channel` text DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE `webhook_outbox` ADD `cancelled_at` integer;--> statement-breakpoint
ALTER TABLE `webhook_outbox` ADD `dedupe_key` text;--> statement-breakpoint
CREATE INDEX `webhook_outbox_channel_due_idx` ON `webhook_outbox` (`channel`,`delivered_at`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_outbox_dedupe_uq` ON `webhook_outbox` (`dedupe_key`);--> statement-breakpoint
-- The review module's decisions told to trainers become notifications of kind review_decision.
INSERT INTO `notifications` (`user_id`, `kind`, `params`, `link`, `ref`, `created_at`, `read_at`)
SELECT rn.`user_id`, 'review_decision',
  json_object(
    'course', json_object('ky', coalesce(json_extract(d.`content`, '$.manifest.title.ky'), d.`slug`), 'ru', coalesce(json_extract(d.`content`, '$.manifest.title.ru'), d.`slug`)),
    'decision', json_object('key', 'review.decision.' || rn.`decision`),
    'details', coalesce(r.`summary`, '')
  ),
  'author/decisions', 'review:' || rn.`review_id`, rn.`at`, rn.`read_at`
FROM `review_notifications` rn
JOIN `course_drafts` d ON d.`id` = rn.`draft_id`
JOIN `reviews` r ON r.`id` = rn.`review_id`;--> statement-breakpoint
DROP TABLE `review_notifications`;
--> statement-breakpoint
-- Obligation reminders already e-mailed to servants count as told (read), so none is sent again.
INSERT OR IGNORE INTO `notifications` (`user_id`, `kind`, `params`, `link`, `ref`, `created_at`, `read_at`)
SELECT `user_id`, 'obligation_reminder',
  json_object('state', json_object('key', CASE WHEN `kind` = 'overdue' THEN 'notify.obligation.overdue' ELSE 'notify.obligation.before' END), 'dueDate', json_object('date', `due_date`), 'left', '', 'period', ''),
  'my/record', 'obligation:' || `kind` || ':' || `due_date`, `sent_at`, `sent_at`
FROM `reminders_sent` WHERE `recipient` = 'servant';--> statement-breakpoint
DROP TABLE `reminders_sent`;
