"""Income drift (issue #6, "Check. Pas aan. En door."): the monthly wages of the income feed, projected
to the year with shared_rules.projection, compared with the income estimate through
shared_rules.preview; prompts for drift, assets near a limit, the January check and possible
non-use; the cautious voorschot."""
