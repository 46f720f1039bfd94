"""The draft-invoice engine, pinned rule by rule by mutation testing (`make mutation`,
bench/mutation.md): each test fails when the rule it is named for breaks."""
