"""One benchmark measurement of CPython's logging, same job and report as bench/worker.ts.

Usage: python3 py_worker.py '<WorkerJob JSON>'. Logs with the seed's format (without colour) to
stdout (redirected by the harness) or to a FileHandler; reports one JSON line on fd 3.
"""
import json
import logging
import os
import resource
import sys
import time

SEED_FORMAT = '%(asctime)s - %(module)s.%(funcName)s - %(processName)s - %(levelname)s - %(message)s'


def string2k():
    words = 'lorem ipsum dolor sit amet, consectetur adipiscing elit; sed do eiusmod tempor incididunt ut labore. '
    s = ''
    while len(s) < 2048:
        s += words
    return s[:2048]


def main():
    job = json.loads(sys.argv[1])
    s0 = time.perf_counter_ns()
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    if job['dest'] == 'file':
        handler = logging.FileHandler(job['file'])
    else:
        handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(SEED_FORMAT))
    root.addHandler(handler)
    log = logging.getLogger('app')
    child = logging.getLogger('app.db')
    long = string2k()
    n = job['lines']
    scenario = job['scenario']

    if job['mode'] == 'below':
        warm = min(job.get('warmup', 100000), 100000)
        for i in range(warm):
            log.debug('hello world %d', i)
        t0 = time.perf_counter_ns()
        if scenario == 'printf':
            for i in range(n):
                log.debug('hello world %d', i)
        else:
            for i in range(n):
                log.debug('hello world')
        t1 = time.perf_counter_ns()
        report(job, t1 - t0, t1 - t0, t0 - s0, n)
        return

    t0 = time.perf_counter_ns()
    if scenario == 'hello':
        for i in range(n):
            log.info('hello world')
    elif scenario == 'printf':
        for i in range(n):
            log.info('hello world %d', i)
    elif scenario == 'object':
        # Python's idiom for structured fields: extra= (not shown by the seed's format).
        for i in range(n):
            log.info('hello world', extra={'user': 'alice', 'id': i, 'ok': True, 'path': '/api/v1/orders'})
    elif scenario == 'string2k':
        for i in range(n):
            log.info(long)
    elif scenario == 'child':
        for i in range(n):
            child.info('hello world')
    t_loop = time.perf_counter_ns()
    logging.shutdown()
    sys.stdout.flush()
    t1 = time.perf_counter_ns()
    report(job, t1 - t0, t_loop - t0, t0 - s0, n)


def report(job, ns, loop_ns, setup_ns, n):
    r = {
        'lib': job['lib'],
        'ns': ns,
        'loopNs': loop_ns,
        'setupNs': setup_ns,
        'lines': n,
        'maxRssKb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    os.write(3, (json.dumps(r) + '\n').encode())


if __name__ == '__main__':
    main()
