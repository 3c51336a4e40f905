"""Batch runs of the policy core over whole populations (docs/batch.md).

`io` reads population files (Parquet or CSV, one row per person) into
doudi.policy.household.Households and writes the results; `engine.assess_table` decides every
program for every household with the same rule functions as `doudi assess`;
`dask_engine` does the same on a Dask cluster, county by county. Plain Python, no Django.
"""
