"""The test suite as one package (tests.api, tests.e2e, ...): without it pytest would import
tests/api as a top-level package named `api`, the same name as the application package."""
