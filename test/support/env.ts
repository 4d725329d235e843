/** Where the tests find PostgreSQL and Redis (the services .ci/run starts). */
export const PG_BASE = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Overridable so that two test runs on one server (two developers' suites) do not drop each other's template. */
export const TEMPLATE_DB = process.env.TEST_TEMPLATE_DB ?? 'phr_test_template';
/**
 * Prefix of the per-file databases. With a template of its own, a run names its databases after it
 * (outside `phr_t_%`), so that another run's teardown, which drops what its prefix matches, cannot
 * drop them mid-test.
 */
export const TEST_DB_PREFIX = process.env.TEST_TEMPLATE_DB ? `${process.env.TEST_TEMPLATE_DB}__` : 'phr_t_';
export const dbUrl = (name: string) => `${PG_BASE}/${name}`;
