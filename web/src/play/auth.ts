/**
 * The browser's identity: the client package's DeviceAuth (clients/ts/src/DeviceAuth.ts) with the keys
 * this page has always used in localStorage (`ds.play.deviceSecret`, `ds.play.tokens`), so a listener who
 * signed in before keeps their user.
 */
import { DeviceAuth as PackageDeviceAuth } from '../../../clients/ts/src/DeviceAuth.js';

export class DeviceAuth extends PackageDeviceAuth {
  constructor(deviceModel = 'web', baseUrl = '') {
    super({ deviceModel, baseUrl, storagePrefix: 'ds.play' });
  }
}
