// Two projects: fast unit tests (parallel) and system tests that run the
// services as native processes over real DDS (serial: they share 2 cores).
// Type checking happens in `npm run build` (tsc); ts-jest only transpiles.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['\\.system\\.test\\.ts$'],
      setupFilesAfterEnv: ['<rootDir>/test/setup-cdktf.ts'],
    },
    {
      displayName: 'system',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.system.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/setup-cdktf.ts'],
    },
  ],
};
