// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';


export class OrbState extends Schema {
    @type("string") public artistId!: string;
    @type("string") public name!: string;
    @type("string") public relationship!: string;
    @type("float32") public radius!: number;
    @type("float32") public speed!: number;
    @type({ quantized: { min: 0, max: 360, bits: 16, mode: "wrap" } }) public angle!: number;
    @type("float32") public inclination!: number;
    @type({ quantized: { min: -400, max: 400, bits: 16 } }) public x!: number;
    @type({ quantized: { min: -400, max: 400, bits: 16 } }) public y!: number;
    @type({ quantized: { min: -400, max: 400, bits: 16 } }) public z!: number;
}
