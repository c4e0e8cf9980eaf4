"""The channel of the store's batched reads is made as the client makes its own."""

from __future__ import annotations

import grpc
import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from common.adapters import firestore_reads

SINGLE = (grpc.experimental.ChannelOptions.SingleThreadedUnaryStream, 1)


def _client(monkeypatch: pytest.MonkeyPatch, emulator: str | None) -> firestore.Client:
    if emulator:
        monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", emulator)
    else:
        monkeypatch.delenv("FIRESTORE_EMULATOR_HOST", raising=False)
    return firestore.Client(project="p", credentials=AnonymousCredentials())


@pytest.mark.parametrize("emulator", [None, "127.0.0.1:9"])
def test_the_read_channel_is_the_clients_kind_on_one_thread(monkeypatch, emulator) -> None:  # type: ignore[no-untyped-def]
    client = _client(monkeypatch, emulator)
    made: list[tuple[str, object, list]] = []
    transport = type(client._firestore_api._transport)

    def create_channel(host, credentials=None, options=()):  # type: ignore[no-untyped-def]
        made.append((host, credentials, list(options)))
        return "secure"

    def insecure_channel(host, options=()):  # type: ignore[no-untyped-def]
        made.append((host, None, list(options)))
        return "insecure"

    monkeypatch.setattr(transport, "create_channel", create_channel)
    monkeypatch.setattr(grpc, "insecure_channel", insecure_channel)
    channel = firestore_reads.read_channel(client)
    [(host, credentials, options)] = made
    assert SINGLE in options and ("grpc.max_receive_message_length", -1) in options
    if emulator:
        assert (channel, host) == ("insecure", emulator)
    else:
        assert (channel, host) == ("secure", client._target)
        assert credentials is client._credentials and ("grpc.keepalive_time_ms", 30000) in options


def test_a_client_without_a_grpc_transport_has_no_reader() -> None:
    assert firestore_reads.reader(object()) is None
