// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';


export class CameraState extends Schema {
    @type("float32") public x!: number;
    @type("float32") public y!: number;
    @type("float32") public z!: number;
    @type("float32") public fov!: number;
    @type("boolean") public transitioning!: boolean;
    @type("float32") public progress!: number;
}
