"""`demo_stream_agent`: like demo_agent, but streams four token items first.

The web layer (agent_serve/web/request_task.py) hands the agent a queue in the
kwarg `output_stream` for /service_run_stream and /service_run_async; every item
put there becomes one `data:{"process": <item>}` SSE frame, or one entry of
`steps` in /service_run_result. The items have the shape agentUniverse's own LLM
agents stream (agent/agent.py: invoke_chain):
    {'type': 'token', 'data': {'chunk': <str>, 'agent_info': <agent info dict>}}
/service_run passes no queue, so there the items are dropped (stream_output is a no-op).

Delay before each item, first match wins:
  1. request param `delay` (seconds; e.g. params {"input": "x", "delay": 2}),
  2. environment variable AU_DEMO_STREAM_DELAY (boot.py --stream-delay sets it),
  3. `profile.stream_delay` in demo_stream_agent.yaml (0.05).
"""
import os
import time

from agentuniverse.agent.agent import Agent
from agentuniverse.agent.input_object import InputObject
from agentuniverse.base.util.common_util import stream_output

DEFAULT_DELAY = 0.05


class DemoStreamAgent(Agent):
    """Streams "Your ", "input ", "is ", "{input}." and returns {'output': "Your input is {input}."}."""

    def input_keys(self) -> list[str]:
        return ['input']

    def output_keys(self) -> list[str]:
        return ['output']

    def parse_input(self, input_object: InputObject, agent_input: dict) -> dict:
        agent_input['input'] = input_object.get_data('input')
        return agent_input

    def parse_result(self, agent_result: dict) -> dict:
        return agent_result

    def _delay(self, input_object: InputObject) -> float:
        requested = input_object.get_data('delay')
        if requested is not None:
            return float(requested)
        env = os.environ.get('AU_DEMO_STREAM_DELAY')
        if env:
            return float(env)
        profile = self.agent_model.profile or {}
        return float(profile.get('stream_delay', DEFAULT_DELAY))

    def execute(self, input_object: InputObject, agent_input: dict) -> dict:
        delay = self._delay(input_object)
        output_stream = input_object.get_data('output_stream', None)
        text = agent_input.get('input')
        for chunk in ("Your ", "input ", "is ", f"{text}."):
            if delay > 0:
                time.sleep(delay)
            stream_output(output_stream, {
                'type': 'token',
                'data': {
                    'chunk': chunk,
                    'agent_info': self.agent_model.info,
                },
            })
        return {'output': f"Your input is {text}."}
