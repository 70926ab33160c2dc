"""Server-Sent Events parsing, as a browser would."""

from aicontract.contracts.sse import parse


def test_frames_with_and_without_a_space_after_the_colon() -> None:
    events = parse(b'data:{"a": 1}\n\ndata: {"b": 2}\n\n')
    assert [e.data for e in events] == ['{"a": 1}', '{"b": 2}']
    assert {e.event for e in events} == {"message"}


def test_an_unfinished_event_and_agentuniverse_stray_space_are_not_events() -> None:
    assert [e.data for e in parse(b'data:{"result": 1}\n\n ')] == ['{"result": 1}']
    assert parse(b"data: never finished") == []


def test_multi_line_data_comments_names_ids_and_crlf() -> None:
    events = parse(b": comment\r\nevent: tick\r\nid: 7\r\ndata: a\r\ndata: b\r\n\r\n")
    assert len(events) == 1
    assert (events[0].event, events[0].id, events[0].data) == ("tick", "7", "a\nb")
