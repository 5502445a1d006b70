"""The runs a `gewh serve` finds scheduled when it starts.

Prefect's server schedules a deployment's runs ahead of time, each with the parameters the deployment had then.
A serve that stops cleanly pauses its schedule, which deletes those runs; one killed outright (kill -9, a reboot,
the machine out of memory) leaves them.  When the deployment is served again, Prefect deletes the ones still in
the future but keeps the ones whose time has passed, and the runner starts them all at once: every refresh the
serve missed, each on the folder and warehouse of the serve that scheduled it, which gewh.toml may since have
changed.  As cron does, a serve does not replay the runs it missed: it deletes them, and its schedule makes the
next ones.
"""

from __future__ import annotations


def drop_runs_left_scheduled(deployment: str) -> int:
    """Delete the runs of ``deployment`` ("flow/deployment", on the API in PREFECT_API_URL) that were scheduled and
    never started, as Prefect deletes them when a schedule changes; return how many (0 when the deployment does
    not exist yet)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            deployment_id = client.read_deployment_by_name(deployment).id
        except ObjectNotFound:
            return 0
        scheduled = FlowRunFilter(
            deployment_id=FlowRunFilterDeploymentId(any_=[deployment_id]),
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])),
        )
        dropped = kept = 0
        # Page by page (the API returns at most its default limit); the runs kept stay first in the same order.
        while page := client.read_flow_runs(flow_run_filter=scheduled, sort=FlowRunSort.ID_DESC, offset=kept):
            for run in page:
                # A run that ran before and waits to run again (a retry) is not one the serve missed.
                if run.run_count > 0:
                    kept += 1
                else:
                    client.delete_flow_run(run.id)
                    dropped += 1
    return dropped
