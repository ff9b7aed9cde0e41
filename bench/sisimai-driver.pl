#!/usr/bin/env perl
# Benchmark driver: decodes each email file named on the command line with Sisimai (the Perl
# bounce analyser) and prints how many records it found. Needs the Sisimai module:
#   Debian/Ubuntu: apt-get install -y libsisimai-perl      elsewhere: cpanm Sisimai
use strict;
use warnings;

BEGIN {
    eval { require Sisimai; 1 } or do {
        print STDERR "sisimai-driver: the Perl module Sisimai is not installed.\n"
                   . "  Debian/Ubuntu: apt-get install -y libsisimai-perl\n"
                   . "  elsewhere:     cpanm Sisimai\n";
        exit 2;
    };
}

my $records = 0;
my $files   = 0;
for my $path (@ARGV) {
    my $list = Sisimai->make($path) || [];
    $records += scalar @$list;
    $files++;
}
print STDERR "sisimai-driver: $files file(s), $records record(s)\n";
