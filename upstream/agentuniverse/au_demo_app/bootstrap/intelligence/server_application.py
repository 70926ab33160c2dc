"""Start the agentUniverse web server of the demo project on 127.0.0.1.

    python server_application.py [--port 8888]

agentUniverse takes the project root from the working directory
(Path.cwd().parents[1]), so this script switches to its own directory
(<project>/bootstrap/intelligence) first. It binds 127.0.0.1 only.
"""
import argparse
import os
import sys


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--port', type=int, default=int(os.environ.get('AU_PORT', '8888')))
    args = parser.parse_args(argv)

    os.chdir(os.path.dirname(os.path.abspath(__file__)))

    from agentuniverse.base.agentuniverse import AgentUniverse
    from agentuniverse.agent_serve.web.web_booster import start_web_server

    AgentUniverse().start()
    start_web_server(bind=f"127.0.0.1:{args.port}")


if __name__ == '__main__':
    sys.exit(main())
