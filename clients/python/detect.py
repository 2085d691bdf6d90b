#!/usr/bin/env python3
"""Send one image to the abo inference service (gRPC detection.v1) and print the answer as JSON.

Needs python3-grpcio and python3-protobuf (Debian packages) and the message module generated from the
repository's proto (protoc 3.25, the version the Maven build uses):

    protoc -I proto/src/main/proto --python_out=STUBS detection/v1/detection.proto

No gRPC service stubs are needed: the call is made on the method path directly.

    detect.py --stubs STUBS --target 127.0.0.1:50051 image.jpg [--score-threshold 0.25] [--max-detections 300]

Prints {"model_name", "model_version", "image_width_px", "image_height_px", "server_latency_us",
"detections": [{"x1_px", "y1_px", "x2_px", "y2_px", "score", "class_id", "class_name"}]} and exits 0,
or {"code": "INVALID_ARGUMENT", "message": "..."} and exits 1 when the server refuses the call.
"""
import argparse
import json
import sys

DETECT = "/detection.v1.DetectionService/Detect"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("image", help="JPEG or PNG file")
    p.add_argument("--target", default="127.0.0.1:50051", help="host:port of the inference service")
    p.add_argument("--stubs", required=True, help="directory holding detection/v1/detection_pb2.py")
    p.add_argument("--score-threshold", type=float, help="minimum score in [0, 1] (server default 0.25)")
    p.add_argument("--max-detections", type=int, help="at most this many detections (server default 300)")
    p.add_argument("--timeout-s", type=float, default=10.0, help="deadline of the call in seconds")
    p.add_argument("--request-id", default="", help="echoed in the answer")
    args = p.parse_args(argv)

    sys.path.insert(0, args.stubs)
    import grpc
    from detection.v1 import detection_pb2

    with open(args.image, "rb") as f:
        request = detection_pb2.DetectRequest(image=f.read(), request_id=args.request_id)
    if args.score_threshold is not None:
        request.score_threshold = args.score_threshold
    if args.max_detections is not None:
        request.max_detections = args.max_detections

    with grpc.insecure_channel(args.target) as channel:
        detect = channel.unary_unary(DETECT, request_serializer=detection_pb2.DetectRequest.SerializeToString,
                                     response_deserializer=detection_pb2.DetectResponse.FromString)
        try:
            r = detect(request, timeout=args.timeout_s)
        except grpc.RpcError as e:
            print(json.dumps({"code": e.code().name, "message": e.details()}))
            return 1
    print(json.dumps({
        "model_name": r.model_name, "model_version": r.model_version, "request_id": r.request_id,
        "image_width_px": r.image_width_px, "image_height_px": r.image_height_px,
        "server_latency_us": r.server_latency_us,
        "detections": [{"x1_px": d.x1_px, "y1_px": d.y1_px, "x2_px": d.x2_px, "y2_px": d.y2_px, "score": d.score,
                        "class_id": d.class_id, "class_name": d.class_name} for d in r.detections],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
