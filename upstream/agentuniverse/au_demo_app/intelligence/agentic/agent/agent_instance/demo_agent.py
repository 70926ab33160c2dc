"""The `demo_agent` of the seed document: no LLM, echoes its input."""
from agentuniverse.agent.agent import Agent
from agentuniverse.agent.input_object import InputObject


class DemoAgent(Agent):
    """Returns {'output': "Your input is {input}."}."""

    def input_keys(self) -> list[str]:
        return ['input']

    def output_keys(self) -> list[str]:
        return ['output']

    def parse_input(self, input_object: InputObject, agent_input: dict) -> dict:
        agent_input['input'] = input_object.get_data('input')
        return agent_input

    def parse_result(self, agent_result: dict) -> dict:
        return agent_result

    def execute(self, input_object: InputObject, agent_input: dict) -> dict:
        # Replaces the planner-based Agent.execute: no LLM, no planner.
        return {'output': f"Your input is {agent_input.get('input')}."}
