/**
 * Loads every module that provides a hook (server/lib/hooks.ts), so lower modules can call upward.
 * Imported once by each entry point: the API (server/app.ts), the pages (site/middleware.ts), the
 * scripts that call services, and the tests (vitest.config.ts setupFiles).
 */
import './catalog/service';
import './learning/service';
import './feedback/service';
import './attestation/testing';
