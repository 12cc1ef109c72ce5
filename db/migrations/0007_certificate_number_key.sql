-- SQLite adds a NOT NULL column only with a default; every row gets its key right away.
ALTER TABLE `certificates` ADD `code_key` text NOT NULL DEFAULT '';--> statement-breakpoint
UPDATE `certificates` SET `code_key` = upper(replace(replace(replace(`code`, '-', ''), '/', ''), ' ', ''));--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_code_key_uq` ON `certificates` (`code_key`);
