// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';
import { StationState } from './StationState'
import { DialState } from './DialState'
import { OrbState } from './OrbState'
import { CameraState } from './CameraState'

export class SessionState extends Schema {
    @type(StationState) public station: StationState = new StationState();
    @type(DialState) public dial: DialState = new DialState();
    @type({ map: OrbState }) public orbs: MapSchema<OrbState> = new MapSchema<OrbState>();
    @type("float64") public orbEpoch!: number;
    @type(CameraState) public camera: CameraState = new CameraState();
    @type("uint16") public totalStars!: number;
    @type([ "string" ]) public badges: ArraySchema<string> = new ArraySchema<string>();
    @type("uint16") public orbsExplored!: number;
    @type("uint32") public interactions!: number;
}
