"""Running the steps over one document in memory: the service (`Pipeline`) and the command line
(`kontor check`, `extract`, `eval`) go through this same loop, so they cannot disagree."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from app.pipeline.decide import decide
from app.pipeline.state import PipelineState, Step, StepOutput, Verdict

#: Called after each step with its name, output and seconds (the service stores it).
OnOutput = Callable[[str, StepOutput, float], None]


def run_steps(steps: Sequence[Step], state: PipelineState, on_output: OnOutput | None = None) -> Verdict:
    """Run every step that applies, in order, until one stops the run; then decide.

    A step's `KontorError` propagates: the caller fails the document (or reports the file).
    """
    for step in steps:
        if not step.applies(state):
            continue
        started = time.perf_counter()
        output = step.run(state)
        if on_output is not None:
            on_output(step.name, output, time.perf_counter() - started)
        state.record(output)
        if state.stop is not None:
            break
    return decide(state)
