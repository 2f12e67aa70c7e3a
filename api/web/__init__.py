"""HTTP plumbing shared by the domains: problems, security headers, CSRF, static files."""
