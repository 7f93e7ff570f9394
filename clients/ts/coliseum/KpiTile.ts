// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';


export class KpiTile extends Schema {
    @type("string") public label!: string;
    @type("string") public unit!: string;
    @type("number") public value!: number;
    @type("number") public previous!: number;
}
