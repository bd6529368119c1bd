#! /bin/sh
