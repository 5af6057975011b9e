"""The domain: models, enumerations and pure functions computing the review's figures."""
