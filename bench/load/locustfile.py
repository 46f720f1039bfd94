"""50 users on the work queue, the case list, the dashboards and invoice PDFs (``make load``).

Each simulated user takes one of the logged-in sessions ``bench.load.run`` prepared (a case
handler, a unit manager, the head of service, finance) and requests that role's pages from the
plan (LOAD_PLAN, a JSON file): the pages and their weights, and the URLs of each. Only localhost."""

import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["LOAD_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)


class Staff(HttpUser):
    wait_time = between(0.5, 1.5)  # people reading pages, not a flood

    def on_start(self):
        self.role = random.choice(sorted(PLAN["roles"]))
        self.client.cookies.set(PLAN["cookie"], random.choice(PLAN["roles"][self.role]["sessions"]))
        self.pages = PLAN["roles"][self.role]["pages"]  # [[name, weight, [url, …]], …]

    @task
    def a_page(self):
        name, _weight, urls = random.choices(self.pages, weights=[page[1] for page in self.pages])[0]
        url = random.choice(urls)
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")
