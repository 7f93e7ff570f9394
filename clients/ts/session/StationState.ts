// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';


export class StationState extends Schema {
    @type("float64") public frequency!: number;
    @type("string") public artistId!: string;
    @type("string") public artistName!: string;
    @type("string") public genre!: string;
    @type("string") public era!: string;
}
