#!/usr/bin/env python3
"""The Python side of Tessera's interop test (PythonInteropIT): Confluent's own Python client against our Java serde.

  interop.py produce --bootstrap B --registry URL --topic-prefix P --schemas DIR
      publishes the sample events with confluent-kafka's AvroSerializer (registering DIR/<Event>.avsc under the
      TopicNameStrategy subject <prefix><Event>-value), one topic per event.
  interop.py consume --bootstrap B --registry URL --topic-prefix P [--timeout S]
      reads the events Java wrote with confluent-kafka's AvroDeserializer (writer schema fetched by id) and checks
      every field against the same samples. Prints MATCH/MISMATCH lines; exits 1 on any mismatch or timeout.

The samples are the ones of SampleEvents.java, written out again here so that each side checks independently.
"""
import argparse
import sys
import time
from datetime import datetime, timezone

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

WHEN = datetime(2025, 5, 17, 8, 30, 12, 345000, tzinfo=timezone.utc)


def inline_data(size):
    return bytes((i * 31 + 7) & 0xFF for i in range(size))


def samples():
    """Event name -> list of (key, record), equal to SampleEvents.java."""
    return {
        "MediaArrived": [
            ("img-0001", {
                "mediaId": "img-0001", "tenant": "acme", "modality": "IMAGE", "contentType": "image/jpeg",
                "content": {"data": inline_data(1024)},
                "instruction": "Represent this product photo for retrieval",
                "attributes": {"camera": "x100", "caption": "a red bicycle"}, "occurredAt": WHEN}),
            ("vid-0002", {
                "mediaId": "vid-0002", "tenant": "acme", "modality": "VIDEO", "contentType": "video/mp4",
                "content": {"uri": "file:///data/media/vid-0002.mp4", "sizeBytes": 73400320,
                            "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
                "instruction": None, "attributes": {}, "occurredAt": WHEN}),
            ("txt-0003", {
                "mediaId": "txt-0003", "tenant": "globex", "modality": "TEXT", "contentType": "text/plain",
                "content": {"text": "Ünïcödé text: a cat sitting on a windowsill ✓"},
                "instruction": None, "attributes": {"lang": "en"}, "occurredAt": WHEN}),
        ],
        "MediaIndexed": [
            ("vid-0002", {
                "mediaId": "vid-0002", "tenant": "acme", "modality": "VIDEO", "modelName": "tessera-tiny",
                "modelVersion": 3, "collection": "tessera_tiny_v3", "segments": 11, "status": "FAILED",
                "error": "frame 7 could not be decoded: truncated stream",
                "arrivedAt": WHEN, "indexedAt": datetime(2025, 5, 17, 8, 30, 13, 579000, tzinfo=timezone.utc)}),
        ],
        "CuratedPair": [
            ("pair-77", {
                "pairId": "pair-77", "task": "text-to-image",
                "query": {"modality": "TEXT", "text": "a red bicycle", "mediaId": None, "content": None,
                          "instruction": "Represent this query for retrieving product photos"},
                "positive": {"modality": "IMAGE", "text": None, "mediaId": "img-0001", "content": None,
                             "instruction": None},
                "negatives": [
                    {"modality": "IMAGE", "text": None, "mediaId": None, "content": {"data": bytes([1, 2, 3, 255])},
                     "instruction": None},
                    {"modality": "DOCUMENT", "text": None, "mediaId": None,
                     "content": {"uri": "file:///data/docs/manual.pdf", "sizeBytes": None, "sha256": None},
                     "instruction": None},
                ],
                "weight": 0.75, "source": "curator:alice", "createdAt": WHEN}),
        ],
        "ModelVersion": [
            ("tessera-tiny", {
                "modelName": "tessera-tiny", "version": 2, "parentVersion": 1,
                "artifactUri": "file:///models/tessera-tiny/2",
                "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "dimension": 256, "status": "PROMOTED",
                "metrics": {"recall@1.before": 0.41, "recall@1.after": 0.57, "loss": 1.234},
                "soupIngredients": [
                    {"runId": "run-a", "weight": 0.5, "metrics": {"recall@5.after": 0.8}},
                    {"runId": "run-b", "weight": 0.5, "metrics": {}},
                ],
                "pairsTrained": 123456, "createdAt": WHEN}),
        ],
    }


def registry(url):
    return SchemaRegistryClient({"url": url})


def produce(args):
    sr = registry(args.registry)
    producer = Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True})
    for event, records in samples().items():
        with open(f"{args.schemas}/{event}.avsc", encoding="utf-8") as f:
            schema = f.read()
        serializer = AvroSerializer(sr, schema, conf={"auto.register.schemas": True})
        topic = args.topic_prefix + event
        for key, record in records:
            value = serializer(record, SerializationContext(topic, MessageField.VALUE))
            producer.produce(topic, key=key.encode("utf-8"), value=value)
            print(f"PRODUCED {event} {key} schema-id {int.from_bytes(value[1:5], 'big')}", flush=True)
    if producer.flush(30) != 0:
        print("FAILED to deliver every record within 30 s", flush=True)
        return 1
    return 0


def consume(args):
    deserializer = AvroDeserializer(registry(args.registry))
    expected = samples()
    failures = 0
    for event, records in expected.items():
        topic = args.topic_prefix + event
        consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": topic + "-python",
                             "auto.offset.reset": "earliest", "enable.auto.commit": False})
        consumer.subscribe([topic])
        got = {}
        deadline = time.monotonic() + args.timeout
        while len(got) < len(records) and time.monotonic() < deadline:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                print(f"ERROR {event}: {msg.error()}", flush=True)
                continue
            got[msg.key().decode("utf-8")] = deserializer(msg.value(), SerializationContext(topic, MessageField.VALUE))
        consumer.close()
        for key, want in records:
            have = got.get(key)
            if have == want:
                print(f"MATCH {event} {key}", flush=True)
            else:
                failures += 1
                diff = {k: (want.get(k), None if have is None else have.get(k)) for k in want
                        if have is None or want.get(k) != have.get(k)}
                print(f"MISMATCH {event} {key}: {'not received' if have is None else diff}", flush=True)
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["produce", "consume"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic-prefix", required=True)
    parser.add_argument("--schemas", help="directory with <Event>.avsc (produce)")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    return produce(args) if args.mode == "produce" else consume(args)


if __name__ == "__main__":
    sys.exit(main())
