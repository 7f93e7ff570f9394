// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';


export class DialState extends Schema {
    @type("float32") public frequency!: number;
    @type("float32") public velocity!: number;
    @type("boolean") public locked!: boolean;
    @type("float32") public predicted!: number;
}
