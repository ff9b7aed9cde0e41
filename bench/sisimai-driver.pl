#!/usr/bin/env perl
# Benchmark driver: decodes each email file named on the command line with Sisimai (the Perl
# bounce analyser) and prints how many records it found; with --json first, also each record.
# Needs the Sisimai module:
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

# --json: one line per record (for scripts/compare-sisimai.mjs) instead of counting only.
my $json = 0;
if (@ARGV && $ARGV[0] eq '--json') { $json = 1; shift @ARGV; require JSON::PP; }
my $encoder = $json ? JSON::PP->new->canonical->utf8 : undef;

my $records = 0;
my $files   = 0;
for my $path (@ARGV) {
    my $list = Sisimai->make($path) || [];
    $records += scalar @$list;
    $files++;
    next unless $json;
    for my $r (@$list) {
        my $d = $r->damn;
        print $encoder->encode({
            file      => $path,
            recipient => $d->{'recipient'},
            reason    => $d->{'reason'},
            status    => $d->{'deliverystatus'},
            replycode => $d->{'replycode'},
            command   => $d->{'smtpcommand'},
        }), "\n";
    }
}
print STDERR "sisimai-driver: $files file(s), $records record(s)\n";
