import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencyHistogram } from '../../src/bench/model/histogram.ts';
import { LATE_AFTER_US, ReceiptBook } from '../../src/bench/model/receipts.ts';

function book(): ReceiptBook {
  return new ReceiptBook({ receivers: 3, senders: 2, maxSeq: 10 });
}

describe('receipts of one step', () => {
  it('counts each first arrival once, on time', () => {
    const b = book();
    b.record(0, 0, 0, 50);
    b.record(1, 0, 0, 60);
    b.record(0, 1, 0, 70);
    const s = b.summary();
    assert.equal(s.onTime, 3);
    assert.equal(s.late, 0);
    assert.equal(s.duplicates, 0);
  });

  it('a second arrival of the same line at the same receiver is a duplicate, not a delivery', () => {
    const b = book();
    b.record(2, 1, 5, 100);
    b.record(2, 1, 5, 100);
    const s = b.summary();
    assert.equal(s.onTime, 1);
    assert.equal(s.duplicates, 1);
  });

  it('the same line at two receivers is two deliveries', () => {
    const b = book();
    b.record(0, 1, 5, 100);
    b.record(1, 1, 5, 100);
    assert.equal(b.summary().duplicates, 0);
    assert.equal(b.summary().onTime, 2);
  });

  it('a delivery exactly 100 ms after sending is on time; one a microsecond later is late', () => {
    const b = book();
    b.record(0, 0, 0, LATE_AFTER_US);
    b.record(0, 0, 1, LATE_AFTER_US + 1);
    const s = b.summary();
    assert.equal(s.onTime, 1);
    assert.equal(s.late, 1);
  });

  it('a line that arrives after a later line of the same sender is out of order', () => {
    const b = book();
    b.record(0, 0, 0, 10);
    b.record(0, 0, 2, 10);
    b.record(0, 0, 1, 10);
    b.record(0, 0, 3, 10);
    assert.equal(b.summary().outOfOrder, 1);
  });

  it('order is tracked per sender and per receiver', () => {
    const b = book();
    b.record(0, 0, 5, 10);
    b.record(0, 1, 1, 10);
    b.record(1, 0, 1, 10);
    assert.equal(b.summary().outOfOrder, 0);
  });

  it('lines that cannot belong to the step are counted apart', () => {
    const b = book();
    b.record(0, 2, 0, 10);
    b.record(0, 0, 10, 10);
    b.record(3, 0, 0, 10);
    const s = b.summary();
    assert.equal(s.invalid, 3);
    assert.equal(s.onTime, 0);
  });

  it('every first arrival, late ones too, is in the latency histogram', () => {
    const b = book();
    b.record(0, 0, 0, 10);
    b.record(0, 0, 1, 200_000);
    b.record(0, 0, 1, 5);
    const s = b.summary();
    const h = new LatencyHistogram();
    h.mergeSparse(s.latency, s.maxLatencyUs);
    assert.equal(h.count, 2);
    assert.equal(s.maxLatencyUs, 200_000);
  });
});
