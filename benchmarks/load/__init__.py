"""Load test with Locust: see run_load.py."""
