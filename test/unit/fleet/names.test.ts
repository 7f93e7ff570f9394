import assert from 'node:assert/strict';
import { namePrefixFrom, subnetFrom } from '../../fleet/net.js';

/** A second testbed on the same machine (FLEET_NAME_PREFIX, FLEET_SUBNET) must never reach the first one's names or addresses. */
describe('fleet names and subnet from the environment', () => {
  it('defaults to dsf and 10.231.0.0/24, and takes a /24 of 10/8 in any of its spellings', () => {
    assert.equal(subnetFrom(undefined), '10.231.0');
    assert.equal(namePrefixFrom(undefined), 'dsf');
    for (const raw of ['10.232.0', '10.232.0.0', '10.232.0.0/24']) assert.equal(subnetFrom(raw), '10.232.0');
    assert.equal(namePrefixFrom('dsf2'), 'dsf2');
  });

  it('refuses a subnet outside 10/8, not a /24, or with a bad octet, and a prefix that could not name a link', () => {
    for (const raw of ['192.168.1.0/24', '10.232.0.0/16', '10.300.0.0/24', '10.232.0.5', 'x']) assert.throws(() => subnetFrom(raw), /FLEET_SUBNET/);
    for (const raw of ['d', 'DSF', 'dsf-2', 'abcdefg', '2dsf']) assert.throws(() => namePrefixFrom(raw), /FLEET_NAME_PREFIX/);
  });
});
