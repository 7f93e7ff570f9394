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
    @type("float64") public radius!: number;
    @type("float64") public speed!: number;
    @type("float64") public startAngle!: number;
    @type("float64") public inclination!: number;
}
