import v8 from 'node:v8';

/**
 * V8 settings of a Kefu node, applied when this module is evaluated: main.ts imports it first, before
 * anything of note is allocated (benchmarks import it too, to measure what a node does).
 *
 * Allocation-site pretenuring off. V8 learns which code allocates long-lived objects and from then on
 * allocates that code's objects straight in the old generation. A node learns that during bulk work (a
 * knowledge-base import, a burst of chat openings and their jobs) and keeps it afterwards, when the same
 * code (row parsing, segmenting, socket packets) makes short-lived objects: they pile up in the old
 * generation, and each young-generation collection must trace the old objects' pointers into the young
 * one. Measured on 2 cores, three runs each way: bench/chat.ts, 5,000 visitors at 1,000 msg/s, p99 84-162
 * ms (median 110) with pretenuring, 43-72 ms (median 47) without, throughput flat out unchanged;
 * bench/kb-search.ts at 100,000 articles imported by the same process: young-generation GC pauses of
 * 5-15 ms became ~1-2 ms (GC during 300 searches 467 → 146 ms).
 */
v8.setFlagsFromString('--no-allocation-site-pretenuring');
