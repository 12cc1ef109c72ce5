CREATE TABLE `review_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`draft_id` integer NOT NULL,
	`review_id` integer,
	`action` text NOT NULL,
	`from_state` text NOT NULL,
	`to_state` text NOT NULL,
	`revision` integer NOT NULL,
	`actor_id` integer,
	`comment` text DEFAULT '' NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`draft_id`) REFERENCES `course_drafts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_events_draft_idx` ON `review_events` (`draft_id`,`at`);--> statement-breakpoint
CREATE TABLE `review_notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`draft_id` integer NOT NULL,
	`review_id` integer NOT NULL,
	`decision` text NOT NULL,
	`at` integer NOT NULL,
	`email` text DEFAULT 'pending' NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`draft_id`) REFERENCES `course_drafts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_notifications_user_idx` ON `review_notifications` (`user_id`,`at`);--> statement-breakpoint
CREATE UNIQUE INDEX `review_notifications_once_uq` ON `review_notifications` (`review_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`draft_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`reviewer_id` integer NOT NULL,
	`checklist` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`decision` text,
	`started_at` integer NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`draft_id`) REFERENCES `course_drafts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reviews_draft_idx` ON `reviews` (`draft_id`);