CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`scopes` text NOT NULL,
	`organisation_id` integer,
	`secret_hash` text NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`last_used_at` integer,
	`revoked_at` integer,
	`revoked_by` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `api_tokens_created_idx` ON `api_tokens` (`created_at`);--> statement-breakpoint
CREATE TABLE `change_counter` (
	`id` integer PRIMARY KEY NOT NULL,
	`value` integer NOT NULL,
	CONSTRAINT "change_counter_one_row" CHECK("change_counter"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE `organisations` ADD `code` text;--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_code_uq` ON `organisations` (`code`);--> statement-breakpoint
ALTER TABLE `certificates` ADD `change_seq` integer;--> statement-breakpoint
CREATE INDEX `certificates_change_seq_idx` ON `certificates` (`change_seq`);--> statement-breakpoint
ALTER TABLE `outside_trainings` ADD `change_seq` integer;--> statement-breakpoint
CREATE INDEX `outside_trainings_change_seq_idx` ON `outside_trainings` (`change_seq`);
--> statement-breakpoint
-- The completions export's change sequence (hand-written): existing rows numbered in the order of their
-- last change, then triggers stamp every issue, revocation and decision with the next number inside the
-- writing transaction (SQLite serialises writers, so the numbers follow commit order).
INSERT INTO `change_counter` (`id`, `value`) VALUES (1, 0);
--> statement-breakpoint
WITH ch AS (
  SELECT 'c' AS t, id, MAX(issued_at, COALESCE(revoked_at, 0)) AS at FROM certificates
  UNION ALL SELECT 'o', id, COALESCE(reviewed_at, created_at) FROM outside_trainings
), n AS (SELECT t, id, ROW_NUMBER() OVER (ORDER BY at, t, id) AS seq FROM ch)
UPDATE certificates SET change_seq = (SELECT seq FROM n WHERE n.t = 'c' AND n.id = certificates.id);
--> statement-breakpoint
WITH ch AS (
  SELECT 'c' AS t, id, MAX(issued_at, COALESCE(revoked_at, 0)) AS at FROM certificates
  UNION ALL SELECT 'o', id, COALESCE(reviewed_at, created_at) FROM outside_trainings
), n AS (SELECT t, id, ROW_NUMBER() OVER (ORDER BY at, t, id) AS seq FROM ch)
UPDATE outside_trainings SET change_seq = (SELECT seq FROM n WHERE n.t = 'o' AND n.id = outside_trainings.id);
--> statement-breakpoint
UPDATE `change_counter` SET `value` = (SELECT COUNT(*) FROM certificates) + (SELECT COUNT(*) FROM outside_trainings) WHERE id = 1;
--> statement-breakpoint
CREATE TRIGGER certificates_change_seq_insert AFTER INSERT ON certificates BEGIN
  UPDATE change_counter SET value = value + 1 WHERE id = 1;
  UPDATE certificates SET change_seq = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER certificates_change_seq_update AFTER UPDATE OF revoked_at ON certificates BEGIN
  UPDATE change_counter SET value = value + 1 WHERE id = 1;
  UPDATE certificates SET change_seq = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER outside_trainings_change_seq_insert AFTER INSERT ON outside_trainings BEGIN
  UPDATE change_counter SET value = value + 1 WHERE id = 1;
  UPDATE outside_trainings SET change_seq = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER outside_trainings_change_seq_update AFTER UPDATE OF status, reviewed_at ON outside_trainings BEGIN
  UPDATE change_counter SET value = value + 1 WHERE id = 1;
  UPDATE outside_trainings SET change_seq = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
END;
