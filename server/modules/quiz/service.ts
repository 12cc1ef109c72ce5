/**
 * The quiz engine: question banks, quizzes, attempts, grading and review. It knows a course only by its
 * id, so the same engine tests people outside a course (attestation). The module's face: its parts
 * live in the files below, by concern (docs/architecture.md, "Inside a module").
 */
export * from './quizzes';
export * from './import';
export * from './attempts';
export * from './review';
