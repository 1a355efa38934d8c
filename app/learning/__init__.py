"""What the installation learns from its reviewers: training data from approved invoices, the model
store with its versions, `kontor train` and its nightly run."""
