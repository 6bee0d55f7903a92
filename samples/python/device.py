#!/usr/bin/env python3
"""A small Watson IoT Platform device-management agent in Python (paho-mqtt 1.6 or 2.x), following
the protocol's rules: the device `dm-cli conformance` checks in CI.

It reads where to connect from the environment the conformance command sets (IOTDM_HOST, IOTDM_PORT,
IOTDM_ORG, IOTDM_TYPE, IOTDM_DEVICE, IOTDM_TOKEN), subscribes to iotdm-1/# at QoS 1, sends one manage
after the SUBACK, answers every platform request exactly once, notifies only observed attributes
(with a reqId, fields-array form), downloads firmware over HTTP and checks its verifier (SHA-256 or
MD5 hex), and re-connects and re-manages after a reboot or factory reset.

Run:  dm-cli conformance --device org:type:id:token --run-device "/usr/bin/python3 samples/python/device.py"
"""
import hashlib
import json
import os
import sys
import threading
import urllib.request
import uuid

import paho.mqtt.client as mqtt

HOST = os.environ.get("IOTDM_HOST", "127.0.0.1")
PORT = int(os.environ.get("IOTDM_PORT", "1883"))
ORG, TYPE, DEVICE = os.environ["IOTDM_ORG"], os.environ["IOTDM_TYPE"], os.environ["IOTDM_DEVICE"]
TOKEN = os.environ["IOTDM_TOKEN"]
CLIENT_ID = "d:%s:%s:%s" % (ORG, TYPE, DEVICE)

lock = threading.Lock()
state = {
    "deviceInfo": {"serialNumber": DEVICE, "manufacturer": "iotdm", "model": "python-sample", "fwVersion": "1.0.0"},
    "metadata": {},
    "firmware": {"state": 0, "updateStatus": 0},
    "observed": set(),
}


def log(text):
    print(text, flush=True)


def make_client():
    if hasattr(mqtt, "CallbackAPIVersion"):  # paho-mqtt 2.x
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION1, client_id=CLIENT_ID, protocol=mqtt.MQTTv311)
    else:
        c = mqtt.Client(client_id=CLIENT_ID, protocol=mqtt.MQTTv311)
    c.username_pw_set("use-token-auth", TOKEN)
    c.on_connect = on_connect
    c.on_subscribe = on_subscribe
    c.on_message = on_message
    return c



def publish(topic, body):
    return client.publish(topic, json.dumps(body, separators=(",", ":")), qos=1)


def answer(req_id, rc, message=None, data=None):
    body = {"rc": rc, "reqId": req_id}
    if message:
        body["message"] = message
    if data is not None:
        body["d"] = data
    return publish("iotdevice-1/response", body)


def notify(field, value):
    with lock:
        watched = any(field == o or field.startswith(o + ".") for o in state["observed"])
    if watched:
        publish("iotdevice-1/notify", {"reqId": str(uuid.uuid4()), "d": {"fields": [{"field": field, "value": value}]}})


def firmware_changed(**changes):
    """Applies changes to mgmt.firmware and notifies them together (one notify per logical step)."""
    with lock:
        state["firmware"].update(changes)
    notify("mgmt.firmware", dict(changes))


def current_value(field):
    with lock:
        if field == "mgmt.firmware":
            return dict(state["firmware"])
        if field == "deviceInfo":
            return dict(state["deviceInfo"])
        if field == "metadata":
            return dict(state["metadata"])
    return None


def manage():
    with lock:
        info = dict(state["deviceInfo"])
    publish("iotdevice-1/mgmt/manage", {"reqId": str(uuid.uuid4()), "d": {
        "lifetime": 0, "supports": {"deviceActions": True, "firmwareActions": True},
        "deviceInfo": info, "metadata": {}}})


def on_connect(c, userdata, flags, rc):
    if rc != 0:
        log("connect refused: rc %d" % rc)
        return
    log("connected; subscribing to iotdm-1/#")
    c.subscribe("iotdm-1/#", qos=1)


def on_subscribe(c, userdata, mid, granted_qos):
    log("subscribed (granted %s); sending manage" % (granted_qos,))
    manage()


def on_message(c, userdata, msg):
    topic = msg.topic
    try:
        body = json.loads(msg.payload.decode("utf-8"))
    except ValueError:
        log("undecodable message on %r" % topic)
        return
    if not isinstance(body, dict) or topic == "iotdm-1/response":
        return
    req_id = body.get("reqId")
    fields = (body.get("d") or {}).get("fields") or []
    names = [f["field"] if isinstance(f, dict) else f for f in fields]
    if topic == "iotdm-1/device/update":
        for f in fields:
            if f.get("field") == "mgmt.firmware":
                value = {k: v for k, v in (f.get("value") or {}).items() if k not in ("state", "updateStatus")}
                with lock:
                    state["firmware"].update(value)  # the state stays the device's own (section 12.6)
            elif f.get("field") in ("metadata", "deviceInfo"):
                with lock:
                    state[f["field"]] = dict(f.get("value") or {})
        if req_id is not None:
            answer(req_id, 204)
    elif topic == "iotdm-1/observe":
        with lock:
            state["observed"].update(names)
        answer(req_id, 200, data={"fields": [{"field": n, "value": current_value(n)} for n in names
                                             if current_value(n) is not None]})
    elif topic == "iotdm-1/cancel":
        with lock:
            state["observed"].difference_update(names)
        answer(req_id, 200)
    elif topic in ("iotdm-1/mgmt/initiate/device/reboot", "iotdm-1/mgmt/initiate/device/factory_reset"):
        sent = answer(req_id, 202)
        threading.Thread(target=restart, args=(sent, topic.endswith("factory_reset")), daemon=True).start()
    elif topic == "iotdm-1/mgmt/initiate/firmware/download":
        with lock:
            fw = dict(state["firmware"])
        if fw.get("state") != 0:
            answer(req_id, 400, "Cannot download as the device is not in idle state")
        elif not str(fw.get("uri", "")).startswith(("http://", "https://")):
            answer(req_id, 400, "No usable firmware uri")
        else:
            answer(req_id, 202)
            threading.Thread(target=download, args=(fw,), daemon=True).start()
    elif topic == "iotdm-1/mgmt/initiate/firmware/update":
        with lock:
            fw = dict(state["firmware"])
        if fw.get("state") != 2:
            answer(req_id, 400, "Firmware is still not successfully downloaded.")
        else:
            answer(req_id, 202)
            threading.Thread(target=install, args=(fw,), daemon=True).start()
    elif topic.startswith("iotdm-1/mgmt/custom/"):
        answer(req_id, 501, "Operation not implemented")
    elif req_id is not None:
        answer(req_id, 404, "Unknown topic")


def download(fw):
    firmware_changed(state=1)
    try:
        with urllib.request.urlopen(fw["uri"], timeout=30) as r:
            image = r.read()
    except OSError as e:
        log("download failed: %s" % e)
        firmware_changed(state=0, updateStatus=6)
        return
    verifier = str(fw.get("verifier") or "").lower()
    digest = hashlib.md5(image).hexdigest() if len(verifier) == 32 else hashlib.sha256(image).hexdigest()
    if verifier and digest != verifier:
        log("verification failed")
        firmware_changed(state=0, updateStatus=4)
    else:
        firmware_changed(state=2, updateStatus=0)


def install(fw):
    firmware_changed(updateStatus=1)
    with lock:
        state["deviceInfo"]["fwVersion"] = fw.get("version", state["deviceInfo"]["fwVersion"])
    firmware_changed(state=0, updateStatus=0)


def restart(sent, factory_reset):
    # The 202 must reach the platform before the connection drops (section 7): wait for its PUBACK.
    sent.wait_for_publish(10)
    log("factory reset" if factory_reset else "rebooting")
    with lock:
        state["observed"].clear()
        if factory_reset:
            state["deviceInfo"]["fwVersion"] = "1.0.0"
            state["firmware"] = {"state": 0, "updateStatus": 0}
    # disconnect() ends loop_forever in main(), which then connects again as a restarted device
    # would. Reconnecting from this thread instead raced with loop_forever: when the loop saw the
    # disconnect first it returned and the process exited instead of re-managing.
    restarting.set()
    client.disconnect()


client = None
restarting = threading.Event()


def main():
    global client
    client = make_client()
    while True:
        # on_connect subscribes; the SUBACK manages (after a restart this completes the action, section 7).
        client.connect_async(HOST, PORT, keepalive=60)
        try:
            client.loop_forever(retry_first_connection=True)
        except KeyboardInterrupt:
            return 0
        if not restarting.is_set():
            return 0
        restarting.clear()


if __name__ == "__main__":
    sys.exit(main())
