"""The learner's records: the progress model and the file that keeps it."""
